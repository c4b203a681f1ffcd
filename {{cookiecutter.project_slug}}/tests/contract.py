"""What changed between the committed OpenAPI document and the served one, for callers.

A change is *breaking* when a client written against the committed document can fail against
the served one: an operation, a status code, a parameter or a response field it relies on is
gone, something it may leave out is now required, or a value it sends is no longer accepted.
Anything else (a new path, an optional parameter, a new response field) is an addition.
tests/unit/test_openapi_contract.py holds the served document to the committed one with it.
"""

from .contract_schemas import Changes, Direction, Json, SchemaComparison, resolve

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA_TYPE = "application/json"
# What the comparison does not name one by one: `git diff openapi.json` does.
OTHER_DETAILS = "other details: descriptions, examples, titles (`git diff` after `make openapi`)"


def compare_documents(committed: Json, served: Json) -> Changes:
    changes = Changes()
    Comparison(committed, served, changes).compare()
    if committed != served and not (changes.breaking or changes.non_breaking):
        changes.note(False, OTHER_DETAILS)
    return changes


def report(changes: Changes, document_path: str, version_file: str) -> str:
    """The failure message: each change named, then what to do about it."""
    lines = [f"The OpenAPI document the app serves differs from the committed {document_path}."]
    if changes.breaking:
        lines.append("BREAKING changes (a client written against the committed one can fail):")
        lines += [f"  - {change}" for change in changes.breaking]
    if changes.non_breaking:
        lines.append("Non-breaking changes (additions, and answers that promise more):")
        lines += [f"  - {change}" for change in changes.non_breaking]
    lines.append(
        f"If this is deliberate, run `make openapi` and commit {document_path} with the change."
    )
    if changes.breaking:
        lines.append(
            "A breaking change needs a new major version (`__version__` in "
            f"{version_file} and `version` in pyproject.toml: the document's info.version) and "
            "a word to every caller; better, keep the old behaviour and add the new beside it "
            "(docs/for-callers.md, 'How the contract is versioned')."
        )
    return "\n".join(lines)


class Comparison:
    def __init__(self, committed: Json, served: Json, changes: Changes) -> None:
        self.old_document, self.new_document = committed, served
        self.changes = changes
        self.schemas = SchemaComparison(committed, served, changes)

    def compare(self) -> None:
        old_version = self.old_document.get("info", {}).get("version")
        new_version = self.new_document.get("info", {}).get("version")
        if old_version != new_version:
            self.changes.note(False, f"info.version {old_version} -> {new_version}")
        old_paths = self.old_document.get("paths", {})
        new_paths = self.new_document.get("paths", {})
        for path in sorted(old_paths.keys() - new_paths.keys()):
            methods = " ".join(m.upper() for m in HTTP_METHODS if m in old_paths[path])
            self.changes.note(True, f"removed path {path} ({methods})")
        for path in sorted(new_paths.keys() - old_paths.keys()):
            self.changes.note(False, f"added path {path}")
        for path in sorted(old_paths.keys() & new_paths.keys()):
            self._compare_path(path, old_paths[path], new_paths[path])

    def _compare_path(self, path: str, old: Json, new: Json) -> None:
        for method in HTTP_METHODS:
            operation = f"{method.upper()} {path}"
            if method in old and method not in new:
                self.changes.note(True, f"removed operation {operation}")
            elif method in new and method not in old:
                self.changes.note(False, f"added operation {operation}")
            elif method in old:
                old_parameters = self._parameters(old, method, self.old_document)
                new_parameters = self._parameters(new, method, self.new_document)
                self._compare_security(operation, old[method], new[method])
                self._compare_parameters(operation, old_parameters, new_parameters)
                self._compare_body(operation, old[method], new[method])
                self._compare_responses(operation, old[method], new[method])

    def _compare_security(self, operation: str, old: Json, new: Json) -> None:
        if new.get("security") and not old.get("security"):
            self.changes.note(True, f"{operation}: now requires authentication")
        elif old.get("security") and not new.get("security"):
            self.changes.note(False, f"{operation}: no longer requires authentication")

    @staticmethod
    def _parameters(path_item: Json, method: str, document: Json) -> dict[str, Json]:
        """The operation's parameters and its path's, by `<in> parameter `<name>``."""
        listed = path_item.get("parameters", []) + path_item[method].get("parameters", [])
        resolved = [resolve(parameter, document) for parameter in listed]
        return {f"{p['in']} parameter `{p['name']}`": p for p in resolved}

    def _compare_parameters(
        self, operation: str, old: dict[str, Json], new: dict[str, Json]
    ) -> None:
        for name in sorted(old.keys() - new.keys()):
            self.changes.note(True, f"{operation}: removed {name}")
        for name in sorted(new.keys() - old.keys()):
            required = bool(new[name].get("required"))
            kind = "required" if required else "optional"
            self.changes.note(required, f"{operation}: added {kind} {name}")
        for name in sorted(old.keys() & new.keys()):
            if new[name].get("required") and not old[name].get("required"):
                self.changes.note(True, f"{operation}: {name} made required")
            schemas = (old[name].get("schema", {}), new[name].get("schema", {}))
            self.schemas.compare(*schemas, f"{operation} {name}", "request")

    def _compare_body(self, operation: str, old_operation: Json, new_operation: Json) -> None:
        old = resolve(old_operation.get("requestBody", {}), self.old_document)
        new = resolve(new_operation.get("requestBody", {}), self.new_document)
        if new.get("required") and not old.get("required"):
            self.changes.note(True, f"{operation}: request body made required")
        if old and not new:
            self.changes.note(True, f"{operation}: request body removed")
        where = f"{operation} request"
        self._compare_content(where, old.get("content", {}), new.get("content", {}), "request")

    def _compare_responses(self, operation: str, old_operation: Json, new_operation: Json) -> None:
        old, new = old_operation.get("responses", {}), new_operation.get("responses", {})
        for status in sorted(old.keys() - new.keys()):
            self.changes.note(True, f"{operation}: removed status {status}")
        for status in sorted(new.keys() - old.keys()):
            self.changes.note(False, f"{operation}: added status {status}")
        for status in sorted(old.keys() & new.keys()):
            old_content = resolve(old[status], self.old_document).get("content", {})
            new_content = resolve(new[status], self.new_document).get("content", {})
            where = f"{operation} response {status}"
            self._compare_content(where, old_content, new_content, "response")

    def _compare_content(self, where: str, old: Json, new: Json, direction: Direction) -> None:
        for media_type in sorted(old.keys() - new.keys()):
            self.changes.note(True, f"{where}: no longer {media_type}")
        for media_type in sorted(new.keys() - old.keys()):
            self.changes.note(False, f"{where}: also {media_type}")
        for media_type in sorted(old.keys() & new.keys()):
            at = where if media_type == JSON_MEDIA_TYPE else f"{where} ({media_type})"
            schemas = (old[media_type].get("schema", {}), new[media_type].get("schema", {}))
            self.schemas.compare(*schemas, at, direction)
