// A policy pack that checks image IDs against the clouds' catalogs:
//   pulumi preview --policy-pack examples/policy-pack
import { PolicyPack } from "@pulumi/policy";
import { makePolicies, packClock } from "./policies";

// Ages are measured from now, or from POLICY_AS_OF (e.g. 2024-07-01 against the emulator's built-in catalog).
new PolicyPack("cloudimages-images", { policies: makePolicies({ now: packClock() }) });
