"""The one exception that bad user input may raise."""


class InputError(ValueError):
    """Bad user input. Its message is one sentence a student understands.

    Pages catch exactly this and show it with ``st.error``; anything else that
    escapes is a bug in our code, not in the user's input.
    """


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 label', '2 labels': a count with its noun, for messages (``nouns`` when not noun + 's')."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def there_are(count: int, noun: str, nouns: str | None = None) -> str:
    """'There is 1 label', 'There are 2 labels'."""
    return f"There {'is' if count == 1 else 'are'} {plural(count, noun, nouns)}"


def clip(text: str, limit: int = 40) -> str:
    """User text cut to ``limit`` characters (with …) so a message stays one short sentence."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
