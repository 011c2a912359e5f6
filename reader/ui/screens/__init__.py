"""The reader's screens: the three panes, and the overlays over them."""
