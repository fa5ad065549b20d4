"""The engine's use cases, grouped by who calls them: analysts, officers, auditors and operators (the
scheduler, the administrator and the simulated clock). Each method is one unit of work and returns views or
plain data, never an ORM row or a SpiffWorkflow object. The portal's use cases are the licensing domain's
(:class:`engine.licensing.service.LicensingService`)."""
