"""Why a room refused what was asked: ``RoomError`` with a message key, and the English sentence of every key.

Like ``attention_core.errors.InputError``: the rules (``rooms.py``) raise
``RoomError("room.full", code=…, limit=60)``, ``str(err)`` is the English
sentence (for logs and tests), and the UI shows ``ui.feedback.error_text(err)``,
the sentence in the reader's language (``ui/strings/live.py`` holds the
other languages under ``"error." + key``).
"""

from __future__ import annotations

from attention_core.errors import render

# The English sentence of every key.  Other languages: ui/strings/live.py (same keys, "error." + key).
MESSAGES: dict[str, str] = {
    "room.gone": "There is no open class with the code {code}: check the code, or ask your teacher "
    "whether the class has ended.",
    "room.bad_code": "A class code is {length} letters and digits, such as {example}; “{code}” is not one.",
    "room.not_teacher": "Only the teacher of class {code} can do that: this link or key is not the teacher's.",
    "room.full": "Class {code} is full: it has its limit of {limit} students.",
    "room.server_full": "This server already runs {limit} classes, its limit; start yours when one has ended.",
    "room.too_many_joins": "Too many tries to join from this browser: wait a minute and try again "
    "(at most {limit} a minute).",
    "room.nickname_long": "A nickname can have at most {limit} characters; this one has {count}.",
    "room.nickname_chars": "A nickname can hold letters, digits, spaces and punctuation only.",
    "room.state_too_big": "This page's settings and data take {size} kB, and a live class can send at most "
    "{limit} kB: the students keep the previous view. Use fewer tokens or dimensions.",
    "room.not_joined": "You are not in class {code} (any more): join it again with its code.",
    "room.question_closed": "This question is closed: the teacher has revealed it or asked another one.",
    "room.bad_answer": "Pick one of the question's {count} options.",
    "room.bad_number": "The answer must be a number.",
    "room.bad_question": "This question cannot be sent to the class ({why}).",
}


class RoomError(Exception):
    """A room refused an action; ``key`` names its sentence, ``params`` fill it.

    Subclasses say what kind of refusal it is, so a caller can tell a closed
    room (leave it) from a wrong answer (say so and stay).
    """

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(render(MESSAGES[key], params))


class RoomGoneError(RoomError):
    """No such room: never opened, ended by its teacher, or expired."""


class NotAllowed(RoomError):
    """The caller may not do this: not the teacher, not in the room, or past a limit."""


class BadInput(RoomError):
    """A value the caller sent does not fit: a nickname, an answer, a question, a page state too big."""
