"""What the carers' portal keeps of its own. Records that staff pages of lower apps read (a
family's report of illness, feedback on work, a ground-rules agreement) live in those apps and
are written through their services."""
