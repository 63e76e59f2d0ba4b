"""Outgoing mail: kept in the organization's outbox, and delivered by SMTP when configured."""
