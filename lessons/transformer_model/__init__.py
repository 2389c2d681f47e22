"""The Transformer-model lesson: attention inside a pretrained encoder."""
