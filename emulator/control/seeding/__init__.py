"""The parts of seeding (emulator/seed.py): vocabulary, batches, column rules, values, lines."""
