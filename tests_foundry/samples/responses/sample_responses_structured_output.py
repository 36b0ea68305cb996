# Provenance: the official azure-ai-projects 2.10.0 sample samples/responses/sample_responses_structured_output.py, copied unchanged
# below this header from the PyPI sdist azure_ai_projects-2.10.0.tar.gz (sha256 c1edbb1241c973538a85de45a467edf9d6c244916c01cf68751eedbe65e7f37f).
# Upstream: Azure/azure-sdk-for-python, sdk/ai/azure-ai-projects/samples/responses/sample_responses_structured_output.py, release tag
# azure-ai-projects_2.10.0. sha256 of the file as released: 105708ccb69fcee76008ab24a180a358089fa61fb3f5a8967131defd44bdf649. See PROVENANCE.md.

# ------------------------------------
# Copyright (c) Microsoft Corporation.
# Licensed under the MIT License.
# ------------------------------------

"""
DESCRIPTION:
    This sample demonstrates how to run a basic responses operation
    using the synchronous AIProject and OpenAI clients, while defining
    a desired JSON schema for the response ("structured output").

    This sample is inspired by the OpenAI example here:
    https://platform.openai.com/docs/guides/structured-outputs/supported-schemas

USAGE:
    python sample_responses_structured_output.py

    Before running the sample:

    pip install "azure-ai-projects>=2.0.0" python-dotenv

    Set these environment variables with your own values:
    1) FOUNDRY_PROJECT_ENDPOINT - The Azure AI Project endpoint, as found in the Overview
       page of your Microsoft Foundry portal.
    2) FOUNDRY_MODEL_NAME - The deployment name of the AI model, as found under the "Name" column in
       the "Models + endpoints" tab in your Microsoft Foundry project.
"""

import os
from dotenv import load_dotenv
from pydantic import BaseModel, Field
from azure.identity import DefaultAzureCredential
from azure.ai.projects import AIProjectClient

load_dotenv()


class CalendarEvent(BaseModel):
    model_config = {"extra": "forbid"}
    name: str
    date: str = Field(description="Date in YYYY-MM-DD format")
    participants: list[str]


endpoint = os.environ["FOUNDRY_PROJECT_ENDPOINT"]

with (
    DefaultAzureCredential() as credential,
    AIProjectClient(endpoint=endpoint, credential=credential) as project_client,
    project_client.get_openai_client() as openai_client,
):
    response = openai_client.responses.create(
        model=os.environ["FOUNDRY_MODEL_NAME"],
        instructions="""
            Extracts calendar event information from the input messages,
            and return it in the desired structured output format.
            """,
        text={
            "format": {
                "type": "json_schema",
                "name": "CalendarEvent",
                "schema": CalendarEvent.model_json_schema(),
            }
        },
        input="Alice and Bob are going to a science fair this Friday, November 7, 2025.",
    )
    print(f"Response output: {response.output_text}")
