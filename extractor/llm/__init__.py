"""The model side of the extractor: local weights (modelstore), the llama.cpp server (server),
the OpenAI-compatible client with retries and cache (client), prompts, and the grounded reader (reader)."""
