"""The live class: rooms a teacher opens and students follow (issue 26).

``store.py`` is the storage contract (one small interface, several backends:
``memory_store.py`` for one process, ``sqlite_store.py`` for one machine,
``redis_store.py`` for several); ``open_store.py`` opens the one the server's
settings name (its only touch of Streamlit: reading a secret).  ``rooms.py``
holds the rules of a room (codes, keys, limits, questions, answers) on top of
any store.  No Streamlit here: ``ui/live/`` draws the room.
"""
