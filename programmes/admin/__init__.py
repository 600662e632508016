"""The Django admin, set up so that a programme manager or administrator can maintain
regions, programmes, projects, indicators, periods and reports: search, filters, inlines.

The admin never goes around the workflow:
- workflow fields (a report's state, who submitted and reviewed it and when, the return
  reason and version; a period's closed state and who closed it) are read-only everywhere;
- a period is closed or reopened only with the actions "Periode sluiten" and "Periode
  heropenen", which ask on a page of their own (a reason, for reopening) and call
  `services.close_period` / `services.reopen_period`;
- a streefwaarde changes only with "Streefwaarde bijstellen", which calls
  `services.revise_target`; an existing target's value cannot be typed over;
- a report and its rows can be changed or deleted only while `permissions.report_is_editable`
  says so, and every change made here is recorded in history with a reason;
- history cannot be reverted from here.

Scope for a programme manager (non-superuser): they see only the programmes they manage and
what belongs to them, and choose only within that scope. Regions: only those of their own
programmes. People, as managers of a programme or coordinators of a project: only active
users who hold the role for it (group Programmamanagers; for coordinators also
Programmacoördinatoren, see `programmes.roles`), who do not read all regions (the ministry),
and who either already work in the manager's regions (manager or coordinator there) or have
no role in any other region yet (a new colleague). Readers such as a wethouder hold no role
group and are never offered; nor is anyone who works only in another region. People already
on the form stay on it. Administrators (superusers) choose freely but cannot change workflow
fields either.
"""

from programmes.admin import periods, reports, structure, targets

__all__ = ["periods", "reports", "structure", "targets"]
