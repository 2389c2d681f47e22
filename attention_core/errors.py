"""The one exception that bad user input may raise."""


class InputError(ValueError):
    """Bad user input. Its message is one sentence a student understands.

    Pages catch exactly this and show it with ``st.error``; anything else that
    escapes is a bug in our code, not in the user's input.
    """
