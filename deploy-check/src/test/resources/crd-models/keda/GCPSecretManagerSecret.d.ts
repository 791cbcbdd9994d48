import { ModelData, Model } from "@kubernetes-models/base";
export interface IGCPSecretManagerSecret {
    "id": string;
    "parameter": string;
    "version"?: string;
}
export declare class GCPSecretManagerSecret extends Model<IGCPSecretManagerSecret> implements IGCPSecretManagerSecret {
    "id": string;
    "parameter": string;
    "version"?: string;
    constructor(data?: ModelData<IGCPSecretManagerSecret>);
}
export type { IGCPSecretManagerSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManagerSecret, GCPSecretManagerSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManagerSecret };
