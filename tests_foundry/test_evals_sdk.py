"""openai 3.x evals, as `AIProjectClient.get_openai_client()` returns it, and azure-ai-projects
2.10's `evaluation_rules`, unchanged against the emulator.

The eval runs an agent target on inline rows, as the SDK's `sample_agent_evaluation.py` does
(its typed helpers: `TestingCriterionAzureAIEvaluator`, imported under another name so pytest
does not collect it, `TargetCompletionEvalRunDataSource`,
`AzureAIAgentTargetParam`), and is polled to completion by retrieving the run.
"""

from __future__ import annotations

from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    AzureAIAgentTargetParam,
    ContinuousEvaluationRuleAction,
    EvaluationRule,
    EvaluationRuleFilter,
    PromptAgentDefinition,
    TargetCompletionEvalRunDataSource,
)
from azure.ai.projects.models import (
    TestingCriterionAzureAIEvaluator as AzureAIEvaluator,
)
from azure.core.exceptions import ResourceNotFoundError
from openai.types.eval_create_params import DataSourceConfigCustom
from openai.types.evals.create_eval_completions_run_data_source_param import (
    SourceFileContent,
    SourceFileContentContent,
)

MODEL = "gpt-4.1-mini"
CONFIG = DataSourceConfigCustom(
    type="custom",
    item_schema={
        "type": "object",
        "properties": {"query": {"type": "string"}},
        "required": ["query"],
    },
    include_sample_schema=True,
)
CRITERIA: list[Any] = [
    {
        "type": "string_check",
        "name": "echoes",
        "input": "{{sample.output_text}}",
        "reference": "{{item.query}}",
        "operation": "like",
    },
    AzureAIEvaluator(
        type="azure_ai_evaluator",
        name="fluency",
        evaluator_name="builtin.fluency",
        initialization_parameters={"deployment_name": MODEL},
        data_mapping={"query": "{{item.query}}", "response": "{{sample.output_text}}"},
    ),
]


def agent_source(name: str, version: str) -> TargetCompletionEvalRunDataSource:
    return TargetCompletionEvalRunDataSource(
        type="azure_ai_target_completions",
        source=SourceFileContent(
            type="file_content",
            content=[
                SourceFileContentContent(item={"query": "What is the capital of France?"}),
                SourceFileContentContent(item={"query": "How do I reverse a string?"}),
            ],
        ),
        input_messages={
            "type": "template",
            "template": [
                {
                    "type": "message",
                    "role": "user",
                    "content": {"type": "input_text", "text": "{{item.query}}"},
                }
            ],
        },
        target=AzureAIAgentTargetParam(type="azure_ai_agent", name=name, version=version),
    )


def test_an_agent_evaluation_runs_to_completion(project: AIProjectClient, openai: Any) -> None:
    agent = project.agents.create_version(
        agent_name="eval-target",
        definition=PromptAgentDefinition(model=MODEL, instructions="Help."),
    )
    created = openai.evals.create(
        name="Agent Evaluation", data_source_config=CONFIG, testing_criteria=CRITERIA
    )
    run = openai.evals.runs.create(
        eval_id=created.id,
        name=f"Evaluation Run for Agent {agent.name}",
        data_source=agent_source(agent.name, agent.version),
        metadata={"definition": "sha256:abc"},
    )
    statuses = [run.status]
    while run.status not in ("completed", "failed"):
        run = openai.evals.runs.retrieve(run_id=run.id, eval_id=created.id)
        statuses.append(run.status)
    assert statuses == ["queued", "in_progress", "completed"]
    assert run.metadata == {"definition": "sha256:abc"}
    assert (run.result_counts.total, run.result_counts.passed) == (2, 2)
    assert [r.testing_criteria for r in run.per_testing_criteria_results] == ["echoes", "fluency"]
    items = list(openai.evals.runs.output_items.list(run_id=run.id, eval_id=created.id))
    assert [item.datasource_item["query"] for item in items] == [
        "What is the capital of France?",
        "How do I reverse a string?",
    ]
    echo, fluency = items[0].results
    assert (echo.name, echo.passed, echo.score) == ("echoes", True, 1.0)
    assert fluency.stand_in is True  # labelled: no model graded it
    one = openai.evals.runs.output_items.retrieve(
        output_item_id=items[0].id, run_id=run.id, eval_id=created.id
    )
    assert one.sample.output[0].content.endswith("What is the capital of France?")
    assert [e.id for e in openai.evals.list()] == [created.id]
    assert [r.id for r in openai.evals.runs.list(eval_id=created.id)] == [run.id]
    assert openai.evals.delete(eval_id=created.id).deleted is True


def test_evaluation_rules_crud(project: AIProjectClient, openai: Any) -> None:
    created = openai.evals.create(
        name="Continuous", data_source_config=CONFIG, testing_criteria=CRITERIA[:1]
    )
    rule = EvaluationRule(
        display_name="Every reply",
        action=ContinuousEvaluationRuleAction(eval_id=created.id, max_hourly_runs=5),
        filter=EvaluationRuleFilter(agent_name="eval-target"),
        event_type="responseCompleted",
        enabled=True,
    )
    saved = project.evaluation_rules.create_or_update(id="every-reply", evaluation_rule=rule)
    assert (saved.id, saved.action.eval_id, saved.enabled) == ("every-reply", created.id, True)
    assert "createdAt" in saved.system_data
    rule.enabled = False
    assert (
        project.evaluation_rules.create_or_update(id="every-reply", evaluation_rule=rule).enabled
        is False
    )
    assert project.evaluation_rules.get("every-reply").display_name == "Every reply"
    listed = list(project.evaluation_rules.list(agent_name="eval-target", enabled=False))
    assert [r.id for r in listed] == ["every-reply"]
    assert list(project.evaluation_rules.list(enabled=True)) == []
    project.evaluation_rules.delete("every-reply")
    with pytest.raises(ResourceNotFoundError):
        project.evaluation_rules.get("every-reply")
