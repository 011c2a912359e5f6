"""The reader's widgets: lists drawn line by line, the reading pane, the status line."""
