"""The figures behind the SLT oversight report and the governors' summary.

Every figure is an aggregate query (``Count`` with filters, grouped by a small key such as a
reason, a class or a school day): the report costs the same fixed number of queries for ten
pupils as for a thousand, and nothing here holds one row per pupil in memory. The only
pupil-level rows are the SLT report's "needs attention" table, capped at
``ATTENTION_ROWS``.

Definitions (each also printed in the report, so readers know what a number means):

- A case *runs* on a day from its start date, while it is active or reintegrating, and for a
  closed case until the day before the pupil returned. A proposal waiting for agreements
  does not run.
- *Daily contact due*: one per running case per school day of the pupil's school in the
  period (``contacts.rules``: contacts are due on school days only, also past the time
  limit while the pupil is still at home). *Made*: at least one contact of any kind logged
  on that day (``ContactLog.contact_date``, the Europe/London date).
- *Weekly wellbeing check due*: one per case running on the first school day of each
  Monday-to-Sunday week in the period (a case starting later in a week is due from the next,
  as in ``contacts.rules``). *Made*: a wellbeing check logged in that week.
- "Now" figures (agreements missing, reviews overdue, time limits near or passed) are as at
  the day the report is made, since a case's dates move as it is reviewed.
"""
