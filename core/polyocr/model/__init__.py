"""The model: a shared convolutional backbone feeding a detector, a recognizer and a relational model."""
