// An Alibaba Cloud ECS instance on the newest public Ubuntu 22.04 x86_64 image of its region that boots its
// instance type, chosen by what the image is rather than by a hard-coded ID. `InstanceType` goes to DescribeImages
// as it is: the service then leaves out images that type cannot use (the GPU-driver builds of Ubuntu 22.04 on a
// CPU type such as ecs.g7.large). One `region` setting serves both the lookup and the instance. Credentials come from the usual ALIBABA_CLOUD_ACCESS_KEY_ID /
// ALIBABA_CLOUD_ACCESS_KEY_SECRET variables, or from `pulumi config set --secret --path cloudimages:alicloud.accessKeySecret …`.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as cloudimages from "@cloudimages/pulumi";

const config = new pulumi.Config();
const region = config.get("region") ?? "cn-hangzhou";
const instanceType = config.get("instanceType") ?? "ecs.g7.large";

const ubuntu = cloudimages.getImageOutput({
    cloud: "alicloud",
    region,
    visibility: "public",
    osDistro: "ubuntu",
    osVersion: "22.04",
    architecture: "x86_64",
    filters: { InstanceType: instanceType },
    mostRecent: true,
});

// The image lives in `region`: so must the instance, whatever the stack's alicloud:region says.
const provider = new alicloud.Provider("region", { region });
const opts = { provider };

const vpc = new alicloud.vpc.Network("vpc", { vpcName: "cloudimages-example", cidrBlock: "172.16.0.0/16" }, opts);
const vswitch = new alicloud.vpc.Switch(
    "vswitch",
    {
        vpcId: vpc.id,
        cidrBlock: "172.16.0.0/24",
        zoneId: config.get("zoneId") ?? `${region}-i`,
    },
    opts,
);
const group = new alicloud.ecs.SecurityGroup("group", { vpcId: vpc.id }, opts);

const web = new alicloud.ecs.Instance(
    "web",
    {
        imageId: ubuntu.id,
        instanceType,
        vswitchId: vswitch.id,
        securityGroups: [group.id],
        instanceName: "cloudimages-web",
        internetMaxBandwidthOut: 0,
        // An image record may come without a name (name null): the tag then says so.
        tags: { image: ubuntu.name.apply((name) => name ?? "(no name)") },
    },
    opts,
);

export const imageId = ubuntu.id;
export const imageName = ubuntu.name;
export const imageCreatedAt = ubuntu.createdAt;
export const instanceId = web.id;
