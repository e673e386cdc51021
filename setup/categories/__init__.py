"""A school's categories of concern: listed with their flags, added, renamed, retired or
offered again, each change kept with who, when, the old value, the new and why."""
