// A policy pack that checks image IDs against the clouds' catalogs:
//   pulumi preview --policy-pack examples/policy-pack
import { PolicyPack } from "@pulumi/policy";
import { makePolicies } from "./policies";

new PolicyPack("cloudimages-images", { policies: makePolicies() });
