"""The body map: marks seen on a child's body, placed on a plain front and back outline."""
