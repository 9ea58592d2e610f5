"""Ceph placement-group states: a bilingual glossary, status parsers, and a doctor."""
