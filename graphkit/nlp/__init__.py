"""The nlp stage: segmentation, tagging and relation extraction over normalised text."""
