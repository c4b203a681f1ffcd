"""The password strength estimator: zxcvbn (the Rust implementation, through zxcvbn-rs-py).

zxcvbn rates a password by the guesses an attacker needs, matching it against lists of common
passwords, names and words, keyboard patterns, sequences, repeats and dates, and against the
account's own words. It runs offline: no password, or hash of one, leaves the process.
"""

import asyncio
from collections.abc import Sequence
from typing import Final

from zxcvbn_rs_py import Suggestion, Warning, zxcvbn

from ...domain.users.passwords import StrengthEstimate

# zxcvbn's scale is 0..4; its authors call anything below 3 too weak (about 10^8 guesses).
MIN_SCORE: Final = 3

WARNINGS: Final = {
    Warning.StraightRowsOfKeysAreEasyToGuess: "Straight rows of keys are easy to guess.",
    Warning.ShortKeyboardPatternsAreEasyToGuess: "Short keyboard patterns are easy to guess.",
    Warning.RepeatsLikeAaaAreEasyToGuess: 'Repeats like "aaa" are easy to guess.',
    Warning.RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess: (
        'Repeats like "abcabc" are only slightly harder to guess than "abc".'
    ),
    Warning.ThisIsATop10Password: "This is one of the 10 most common passwords.",
    Warning.ThisIsATop100Password: "This is one of the 100 most common passwords.",
    Warning.ThisIsACommonPassword: "This is a very common password.",
    Warning.ThisIsSimilarToACommonlyUsedPassword: "This is similar to a commonly used password.",
    Warning.SequencesLikeAbcAreEasyToGuess: 'Sequences like "abc" or "6543" are easy to guess.',
    Warning.RecentYearsAreEasyToGuess: "Recent years are easy to guess.",
    Warning.AWordByItselfIsEasyToGuess: "A word by itself is easy to guess.",
    Warning.DatesAreOftenEasyToGuess: "Dates are often easy to guess.",
    Warning.NamesAndSurnamesByThemselvesAreEasyToGuess: (
        "Names and surnames by themselves are easy to guess."
    ),
    Warning.CommonNamesAndSurnamesAreEasyToGuess: "Common names and surnames are easy to guess.",
}
SUGGESTIONS: Final = {
    Suggestion.UseAFewWordsAvoidCommonPhrases: "Use a few words, avoid common phrases.",
    Suggestion.NoNeedForSymbolsDigitsOrUppercaseLetters: (
        "No need for symbols, digits, or uppercase letters."
    ),
    Suggestion.AddAnotherWordOrTwo: "Add another word or two; uncommon words are better.",
    Suggestion.CapitalizationDoesntHelpVeryMuch: "Capitalization doesn't help very much.",
    Suggestion.AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase: (
        "All-uppercase is almost as easy to guess as all-lowercase."
    ),
    Suggestion.ReversedWordsArentMuchHarderToGuess: "Reversed words aren't much harder to guess.",
    Suggestion.PredictableSubstitutionsDontHelpVeryMuch: (
        "Predictable substitutions like '@' instead of 'a' don't help very much."
    ),
    Suggestion.UseALongerKeyboardPatternWithMoreTurns: (
        "Use a longer keyboard pattern with more turns."
    ),
    Suggestion.AvoidRepeatedWordsAndCharacters: "Avoid repeated words and characters.",
    Suggestion.AvoidSequences: "Avoid sequences.",
    Suggestion.AvoidRecentYears: "Avoid recent years.",
    Suggestion.AvoidYearsThatAreAssociatedWithYou: "Avoid years that are associated with you.",
    Suggestion.AvoidDatesAndYearsThatAreAssociatedWithYou: (
        "Avoid dates and years that are associated with you."
    ),
}


class ZxcvbnPasswordStrength:
    async def estimate(self, password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        # In a thread: a long, repetitive password takes zxcvbn a noticeable fraction of a
        # second, which must not stall every other request on the event loop.
        return await asyncio.to_thread(self.estimate_now, password, user_inputs)

    @staticmethod
    def estimate_now(password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        result = zxcvbn(password, list(user_inputs))
        if result.score >= MIN_SCORE:
            return StrengthEstimate(is_weak=False)
        feedback = result.feedback
        if feedback is None:
            return StrengthEstimate(is_weak=True)
        return StrengthEstimate(
            is_weak=True,
            warning="" if feedback.warning is None else WARNINGS.get(feedback.warning, ""),
            suggestions=tuple(SUGGESTIONS[s] for s in feedback.suggestions if s in SUGGESTIONS),
        )
