"""The main screen's collaborators: each owns one concern (lists, reading, search, refresh) and
is driven by the screen, which hands it the messages of its concern."""
