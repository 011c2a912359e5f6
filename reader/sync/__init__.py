"""Sync with a feed server over the Fever or the Google Reader API (see engine.py).

The server fetches the feeds; tidings pulls their items into its own store (so the reader,
search, summaries, full text, bookmarks and export work as for feeds it fetches itself) and sends
back what was done here: read marks, bookmarks as stars, and with Google Reader subscription
changes. Acts made while the server cannot be reached wait in the store (store/syncsql.py).
"""
