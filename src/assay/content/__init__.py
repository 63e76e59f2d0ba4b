"""Content: the item bank as files — schemas, loader, validator, statistics, QTI exchange."""
