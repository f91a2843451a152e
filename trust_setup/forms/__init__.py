"""The setup pages' forms, one module per subject."""
