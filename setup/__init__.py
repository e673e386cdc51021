"""Setting up a school to go live: its settings and what is still missing."""
