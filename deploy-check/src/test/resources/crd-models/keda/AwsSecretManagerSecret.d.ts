import { ModelData, Model } from "@kubernetes-models/base";
export interface IAwsSecretManagerSecret {
    "name": string;
    "parameter": string;
    "secretKey"?: string;
    "versionId"?: string;
    "versionStage"?: string;
}
export declare class AwsSecretManagerSecret extends Model<IAwsSecretManagerSecret> implements IAwsSecretManagerSecret {
    "name": string;
    "parameter": string;
    "secretKey"?: string;
    "versionId"?: string;
    "versionStage"?: string;
    constructor(data?: ModelData<IAwsSecretManagerSecret>);
}
export type { IAwsSecretManagerSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerSecret, AwsSecretManagerSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerSecret };
