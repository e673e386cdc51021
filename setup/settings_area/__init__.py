"""One settings area per school: every setting the rules read, each change versioned."""
