// ECS images on Huawei Cloud and Open Telekom Cloud (the same IMS API): the newest public Ubuntu x86_64 image
// of each. Credentials: HW_ACCESS_KEY / HW_SECRET_KEY / HW_PROJECT_ID for Huawei Cloud, OS_ACCESS_KEY /
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
    architecture: "x86_64",
    mostRecent: true,
});

const otc = cloudimages.getImageOutput({
    cloud: "opentelekomcloud",
    region: config.get("otcRegion") ?? "eu-de",
    visibility: "public",
    osDistro: "ubuntu",
    architecture: "x86_64",
    mostRecent: true,
});

export const huaweiImageId = huawei.id;
export const huaweiImageName = huawei.name;
export const otcImageId = otc.id;
export const otcImageName = otc.name;
