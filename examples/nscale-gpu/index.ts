// An nscale GPU node image: NVIDIA H100 support, a driver of at least 535, and Kubernetes 1.29 or 1.30
// preinstalled, newest first. Credentials: NSCALE_SERVICE_TOKEN and NSCALE_ORGANIZATION_ID (or the
// cloudimages:nscale config object); the region ID comes from config or NSCALE_REGION_ID.
import * as pulumi from "@pulumi/pulumi";
import * as cloudimages from "@cloudimages/pulumi";

const config = new pulumi.Config();

const gpuImage = cloudimages.getImageOutput({
    cloud: "nscale",
    region: config.get("regionId"),
    architecture: "x86_64",
    gpu: true,
    gpuVendor: "NVIDIA",
    gpuModel: "H100",
    gpuDriver: ">=535",
    softwareVersions: { kubernetes: ">=1.29.0 <1.31.0" },
    mostRecent: true,
});

// Every candidate, newest first, to see what else the range admits.
const candidates = cloudimages.getImagesOutput({
    cloud: "nscale",
    region: config.get("regionId"),
    gpu: true,
    gpuModel: "H100",
    softwareVersions: { kubernetes: ">=1.29.0 <1.31.0" },
});

export const imageId = gpuImage.id;
export const imageName = gpuImage.name;
export const kubernetesVersion = gpuImage.softwareVersions.apply((v) => v["kubernetes"]);
export const gpuDriver = gpuImage.gpu.driver;
export const candidateIds = candidates.ids;
