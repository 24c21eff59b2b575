// ECS images on Huawei Cloud and Open Telekom Cloud (the same IMS API): the newest public Ubuntu 22.04 x86_64 VM
// image of each. The query names the release and the machine type: without `osVersion` the newest Ubuntu of any
// release wins (an 18.04 rebuild can be newer than every 22.04 build), and without `machineType: "vm"` a bare-metal
// image, which an ECS virtual machine cannot boot, can. Credentials: HW_ACCESS_KEY / HW_SECRET_KEY / HW_PROJECT_ID for Huawei Cloud, OS_ACCESS_KEY /
// OS_SECRET_KEY / OS_PROJECT_ID for Open Telekom Cloud (or the cloudimages:huaweicloud / :opentelekomcloud objects).
// Pass the IDs to your ECS instance (e.g. the huaweicloud or opentelekomcloud provider's imageId).
import * as pulumi from "@pulumi/pulumi";
import * as cloudimages from "@cloudimages/pulumi";

const config = new pulumi.Config();

const huawei = cloudimages.getImageOutput({
    cloud: "huaweicloud",
    region: config.get("huaweiRegion") ?? "cn-north-4",
    visibility: "public",
    osDistro: "ubuntu",
    osVersion: "22.04",
    architecture: "x86_64",
    machineType: "vm",
    mostRecent: true,
});

const otc = cloudimages.getImageOutput({
    cloud: "opentelekomcloud",
    region: config.get("otcRegion") ?? "eu-de",
    visibility: "public",
    osDistro: "ubuntu",
    osVersion: "22.04",
    architecture: "x86_64",
    machineType: "vm",
    mostRecent: true,
});

export const huaweiImageId = huawei.id;
export const huaweiImageName = huawei.name;
export const otcImageId = otc.id;
export const otcImageName = otc.name;
