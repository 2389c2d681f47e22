"""The seq2seq lesson: an RNN encoder–decoder learns where to look."""
