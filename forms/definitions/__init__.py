"""JSON Schema files of the forms (package data: one ``<key>.schema.json`` per form)."""
