"""Running SpiffWorkflow instances: deployed definitions, one engine run, history pruning."""
