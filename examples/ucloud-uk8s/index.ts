// The node image for a UCloud UK8S node pool: the newest Ubuntu VM image of the zone (UCloud reports no
// creation time, so "newest" is by the version numbers in image names; the SDK warns that it did so), and a
// GPU image for a GPU pool. Credentials: UCLOUD_PUBLIC_KEY / UCLOUD_PRIVATE_KEY / UCLOUD_PROJECT_ID.
// Pass the IDs to your UK8S cluster or node-pool definition (e.g. its ImageId parameter).
import * as pulumi from "@pulumi/pulumi";
import * as cloudimages from "@cloudimages/pulumi";

const config = new pulumi.Config();
const region = config.get("region") ?? "cn-bj2";
const zone = config.get("zone") ?? "cn-bj2-02";

const nodeImage = cloudimages.getImageOutput({
    cloud: "ucloud",
    region,
    zone,
    machineType: "vm",
    osDistro: "ubuntu",
    gpu: false,
    mostRecent: true,
});

const gpuNodeImage = cloudimages.getImageOutput({
    cloud: "ucloud",
    region,
    zone,
    machineType: "vm",
    osDistro: "ubuntu", // one distribution: version numbers compare only within one
    gpu: true,
    mostRecent: true,
});

export const nodePoolImageId = nodeImage.id;
export const nodePoolImageName = nodeImage.name;
export const gpuNodePoolImageId = gpuNodeImage.id;
export const gpuNodePoolImageName = gpuNodeImage.name;
