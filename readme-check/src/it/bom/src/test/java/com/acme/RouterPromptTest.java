package com.acme;

import io.promptunit.PromptTest;

@PromptTest(prompt = "prompts/router.prompt", examples = "prompts/router.jsonl")
class RouterPromptTest {}
