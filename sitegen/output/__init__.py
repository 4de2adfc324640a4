"""The output folder: the only code that touches it (ownership, journaled writes, file records, the lock)."""
