"""Academy — training-management system for training organisations."""
