"""Everything that touches SpiffWorkflow and lxml lives here."""
