"""The live class in the app (issue 26): a teacher's room, students following, questions to the whole class.

    room_store.py  the server's store of rooms and their rules (``classroom.rooms.Rooms``), one a process
    place.py       this session's place in a room: teacher, student or projector, kept in session state
    links.py       a room's links (join, teacher, projector), the QR code, and reading them when a page opens
    follow.py      following the teacher: the poll, applying the teacher's view, the teacher's writes
    asking.py      a room's question in the page's guided lesson: sent, answered, revealed
    panel.py       the class panel above the page (teacher and projector): answered, the histogram, Reveal
    figures.py     the histogram of the class's answers
    sidebar.py     the sidebar's "Live class": start or join one, or the room this session is in

``draw()`` is the whole hook: ``ui/layout.py`` calls it once a run, where the shared sidebar is drawn.
The rules (who may do what, limits) live in ``classroom/rooms.py``; nothing here decides them.
"""

from .sidebar import draw

__all__ = ["draw"]
