"""The setup pages of the performance team, one module per subject."""
