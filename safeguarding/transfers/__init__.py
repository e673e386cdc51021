"""Child-protection file transfer (KCSIE): a leaver's file, sealed and sent to the new
school's DSL through a one-time link and a code given separately."""
