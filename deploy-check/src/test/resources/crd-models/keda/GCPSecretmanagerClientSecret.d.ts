import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret } from "./ValueFromSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IGCPSecretmanagerClientSecret {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
}
export declare class GCPSecretmanagerClientSecret extends Model<IGCPSecretmanagerClientSecret> implements IGCPSecretmanagerClientSecret {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
    constructor(data?: ModelData<IGCPSecretmanagerClientSecret>);
}
export type { IGCPSecretmanagerClientSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretmanagerClientSecret, GCPSecretmanagerClientSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretmanagerClientSecret };
