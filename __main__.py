"""bascule: the source Azure estate and the target SecNumCloud tenancy, from one stack config."""

import pulumi

from components.azure.estate import AzureEstate, AzureEstateArgs
from components.config.load import load_stack_config
from components.estates import estates_to_build
from components.target.estate import TargetEstate, TargetEstateArgs

config, credentials = load_stack_config()
# Both estates; `bascule synth` alone asks for one per process, to use both cores.
estates = estates_to_build()

if "source" in estates:
    source = AzureEstate("source", AzureEstateArgs(config=config, credentials=credentials))
    pulumi.export("source", source.inventory)
if "target" in estates:
    target = TargetEstate("target", TargetEstateArgs(config=config, credentials=credentials))
    pulumi.export("target", target.inventory)
# Read by `bascule parity` from the stack's outputs: gaps accepted on purpose, with reasons.
pulumi.export(
    "parityAccepted",
    [gap.model_dump(mode="json", by_alias=True) for gap in config.parity.accepted_gaps],
)
# Read by `bascule parity`: each wave's name, status and cutover date, for the architect's page.
pulumi.export("waves", [wave.model_dump(mode="json", by_alias=True) for wave in config.waves])
