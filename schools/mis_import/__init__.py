"""Importing a school's register from its MIS (SIMS, Arbor, Bromcom) CSV exports.

Two phases. ``mis_import_plan`` reads and checks every row and works out what would change,
writing nothing; it is the whole of a dry run. ``mis_import_apply`` plans again under a lock
and, only when no row has an error, writes the plan in one transaction with the audit row.
Records are keyed (classes by site and name, pupils by UPN, carers by pupil and name, one
person linked to each child they care for, staff
by email) so importing the same file twice changes nothing. Nothing absent from a file is
deleted: it is reported as "not in file" for the school to deal with by hand.
"""
