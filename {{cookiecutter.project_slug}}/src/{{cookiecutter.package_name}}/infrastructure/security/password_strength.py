"""The password strength estimator: zxcvbn (the Rust implementation, through zxcvbn-rs-py).

zxcvbn rates a password by the guesses an attacker needs, matching it against lists of common
passwords, names and words, keyboard patterns, sequences, repeats and dates, and against the
account's own words. It runs offline: no password, or hash of one, leaves the process.
"""

import asyncio
from collections.abc import Sequence
from typing import Final

from zxcvbn_rs_py import zxcvbn

from ...domain.users.passwords import StrengthEstimate

# zxcvbn's scale is 0..4; its authors call anything below 3 too weak (about 10^8 guesses).
MIN_SCORE: Final = 3


class ZxcvbnPasswordStrength:
    async def estimate(self, password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        # In a thread: a long, repetitive password takes zxcvbn a noticeable fraction of a
        # second, which must not stall every other request on the event loop.
        return await asyncio.to_thread(self.estimate_now, password, user_inputs)

    @staticmethod
    def estimate_now(password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        result = zxcvbn(password, list(user_inputs))
        # int(): at run time the score is a `Score` that converts, not the `int` its stub says.
        if int(result.score) >= MIN_SCORE:
            return StrengthEstimate(is_weak=False)
        feedback = result.feedback
        if feedback is None:
            return StrengthEstimate(is_weak=True)
        # Each warning and suggestion reads as an English sentence.
        return StrengthEstimate(
            is_weak=True,
            warning="" if feedback.warning is None else str(feedback.warning),
            suggestions=tuple(str(suggestion) for suggestion in feedback.suggestions),
        )
