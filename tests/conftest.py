from llm_fixtures import fake_llm, llama_small  # noqa: F401  (LLM test fixtures)
