"""The option matrix the bake tests cover: every pair of answers to any two choice questions.

Baking all 3 * 2 * 2 * 2 * 3 * 3 = 216 combinations would test little more than these nine:
most bugs of a template come from one option or from two interacting. The rows were built
from an orthogonal array: (python_version, ci, license) run through all nine combinations of
(a, b, a+b mod 3), and the three yes/no columns were chosen so that each meets each value of
every other column. `test_matrix_covers_every_pair` re-checks that against cookiecutter.json,
so a new choice or value fails the tests until it is added here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Case:
    python_version: str
    database: str
    broker: str
    include_example_domain: str
    ci: str
    license: str

    def answers(self) -> dict[str, str]:
        return asdict(self)

    @property
    def id(self) -> str:
        example = "items" if self.include_example_domain == "y" else "no-items"
        return "-".join(
            (self.python_version, self.database, self.broker, example, self.ci, self.license)
        )


# Every case keeps the default names, so tests can find the package.
PROJECT_SLUG = "example-service"
PACKAGE_NAME = "example_service"

PAIRWISE_CASES = [
    Case("3.11", "postgresql", "redis", "y", "github", "MIT"),  # the defaults
    Case("3.11", "postgresql", "rabbitmq", "n", "gitlab", "Apache-2.0"),
    Case("3.11", "sqlite", "redis", "y", "none", "Proprietary"),
    Case("3.12", "sqlite", "redis", "n", "github", "Apache-2.0"),
    Case("3.12", "postgresql", "redis", "y", "gitlab", "Proprietary"),
    Case("3.12", "postgresql", "rabbitmq", "n", "none", "MIT"),
    Case("3.13", "postgresql", "rabbitmq", "n", "github", "Proprietary"),
    Case("3.13", "sqlite", "rabbitmq", "y", "gitlab", "MIT"),
    Case("3.13", "postgresql", "redis", "y", "none", "Apache-2.0"),
]
