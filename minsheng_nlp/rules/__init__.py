"""The rule-based components: entity tagger and relation linker."""
