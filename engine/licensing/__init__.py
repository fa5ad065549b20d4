"""The licensing domain: applications, documents, the licence register, and their operations."""
